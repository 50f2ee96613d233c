import warnings

# nameko (used here for its standalone RPC proxy) imports eventlet, which warns that it is
# deprecated: known, filtered. The gateway itself never monkey-patches.
warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
