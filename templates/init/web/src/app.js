'use strict';

const http = require('http');

const server = http.createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ message: 'hello from a web function', path: req.url }));
});

server.listen(9000, () => console.log('listening on 9000'));
