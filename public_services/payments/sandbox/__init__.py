"""A stand-in payment gateway served by the portal itself (development and tests, never silently in production).

It speaks the VNPay-style protocol from the gateway's side: checks the signed request like a real
gateway, shows a card page, notifies the merchant's IPN server to server, and sends the browser back
with signed parameters. Nothing leaves the machine.
"""
