import os


def main_handler(event, context):
    return {"message": "hello from api", "base": os.environ.get("BASE_FUNCTION", "")}
