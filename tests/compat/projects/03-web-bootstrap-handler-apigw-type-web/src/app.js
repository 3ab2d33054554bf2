require('http').createServer((q, r) => r.end('ok')).listen(9000);
