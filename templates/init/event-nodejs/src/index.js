'use strict';

exports.main_handler = async (event, context) => {
  const name = (event && event.name) || 'world';
  console.log(`greeting ${name}`);
  return { message: `${process.env.GREETING || 'hello'}, ${name}`, event };
};
