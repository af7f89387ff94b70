"""A demo and test PKI for the signatures app, described for certomancer and served over HTTP.

`builder` writes the keys and the certomancer configuration and loads them; `server` serves the
CRL, OCSP and time-stamping endpoints whose URLs the certificates carry.
"""
