"""The PySide6 desktop front end. It only calls :mod:`repairshop.services`."""
