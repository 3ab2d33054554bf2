exports.main_handler = async (event, context) => ({ ok: true });
