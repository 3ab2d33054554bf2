import os


def main_handler(event, context):
    print(f"serving version {os.environ.get('SCF_FUNCTIONVERSION', '?')}")
    return {"message": "hello from the grayscale playbook", "stage": os.environ.get("STAGE", "")}
