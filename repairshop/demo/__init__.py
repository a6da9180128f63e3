"""Demo data: a realistic multilingual shop (customers, devices, jobs with histories, parts),
written through the same rules as real work. Used by ``repairshop demo`` and the first start.
"""
