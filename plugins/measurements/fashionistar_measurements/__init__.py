"""Body measurements, size charts and size recommendation (docs/measurements.md).

Keep this module empty of imports: the host imports the package while reading its
settings, before Django is set up, to add it to INSTALLED_APPS.
"""
