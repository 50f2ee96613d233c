import warnings

# nameko 2.14 runs on eventlet, which warns at import that it is deprecated: known, filtered.
warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
