"""RepairShop: counter and workshop software for repair service centres.

This package is the core. It knows nothing of Qt: the desktop front end in
``ui/`` and the ``repairshop`` command line both drive it through
:mod:`repairshop.services`.
"""

__version__ = "0.1.0"
