"""Everything that knows the database. The rest of Deskbot goes through `Store`."""

from storage.database import Database
from storage.store import Store, Transaction

__all__ = ["Database", "Store", "Transaction"]
