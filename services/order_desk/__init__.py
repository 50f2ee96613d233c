"""The order desk (issue 9): the register of every order the bookshop receives, fed by the
owners' events, its calendar and filtered list, and the one progress vocabulary."""
