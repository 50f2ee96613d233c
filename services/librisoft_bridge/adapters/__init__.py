"""The outside world of the bridge: the Librisoft webservice (`webservice`) and its feed bodies
(`feeds`)."""
