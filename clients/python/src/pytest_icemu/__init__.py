"""pytest-icemu: icemu (the IAM Identity Center provisioning emulator) in your test suite.

Installing the package is all pytest needs: the plugin registers the `icemu` fixture. Outside
pytest, `IcemuProcess(binary).start()` runs one and `Icemu(endpoint)` talks to a running one.
"""

from .client import Fault, Icemu, IcemuError
from .process import IcemuProcess, IcemuProcessError, find_binary

__all__ = ["Fault", "Icemu", "IcemuError", "IcemuProcess", "IcemuProcessError", "find_binary"]
__version__ = "0.1.0"
