def main_handler(event, context):
    return {"message": "hello from base"}
