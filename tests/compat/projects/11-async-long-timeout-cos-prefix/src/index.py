def main_handler(event, context):
    return {"ok": True}
