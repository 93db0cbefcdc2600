"""init_error.py THREADVET MODELS: initialize fails, with the reason, when
the settings cannot be loaded (here a --models file); the server still
shuts down cleanly."""
import os
import sys
sys.path.insert(0, os.path.dirname(__file__))
from lspclient import Client

c = Client(sys.argv[1], "--models", sys.argv[2], cwd="/")
r = c.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
print("initialize:", r["error"]["code"], r["error"]["message"])
r = c.request("shutdown")
print("shutdown:", r["error"]["code"], r["error"]["message"])
c.notify("exit")
print("exit status", c.wait_exit())
