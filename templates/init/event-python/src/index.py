import json
import os


def main_handler(event, context):
    name = event.get("name", "world") if isinstance(event, dict) else "world"
    print(f"greeting {name}")
    return {"message": f"{os.environ.get('GREETING', 'hello')}, {name}", "event": json.loads(json.dumps(event))}
