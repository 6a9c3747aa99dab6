"""RQ entry points: `python -m worker` runs Kassabok's queues; tasks open their own app context."""
