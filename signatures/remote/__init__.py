"""Remote signing (ký số từ xa): the key stays with a cloud signing service, the signer approves in a phone app.

`client` talks to the service, `pdf` prepares and finishes the PDF signature around the remote step
(pyHanko's interrupted signing), `standin` is a stand-in service for development and tests.
"""
