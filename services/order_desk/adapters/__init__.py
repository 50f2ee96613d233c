"""The order desk's doors to the outside: the owners' RPCs it asks moves of (`owners`)."""
