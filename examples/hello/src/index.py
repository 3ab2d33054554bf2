import os


def main_handler(event, context):
    print("received", event)
    return {"message": f"{os.environ.get('GREETING', 'hello')} from scf-component", "event": event}
