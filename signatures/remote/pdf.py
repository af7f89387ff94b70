"""The PDF side of remote signing: pyHanko's interrupted signing, split across two tasks.

`remote_prepare` writes the final pre-signing document (field filled, visible stamp drawn, room for
the CMS container reserved), digests its /ByteRange and builds the CMS signed attributes; their
digest is what the signer approves on the phone. Everything `remote_finish` needs is plain data
(`RemotePrepared`), so it survives in the database between the two tasks, however long the signer
takes. `remote_finish` wraps the returned signature value in the CMS (with a signature timestamp for
B-T and above), fills the reserved region, then adds validation data (B-LT) and a document timestamp
(B-LTA) in later revisions.
"""

import asyncio
import base64
import io
import json
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from egov.core.errors import ApplicationError
from signatures.constants import PadesLevel
from signatures.pades import BYTES_RESERVED, SigningUnavailable, StampSpec, _is_unreachable, _stamp_style, validation_context

MD_ALGORITHM = "sha256"
STATE_VERSION = 1


@dataclass(frozen=True)
class RemotePrepared:
    pdf: bytes  # the document in its final pre-signing state, zeros where the CMS goes
    document_digest: bytes  # over the /ByteRange
    reserved_region: tuple[int, int]  # start and end of the placeholder in `pdf`
    signed_attrs: bytes  # DER of the CMS signed attributes
    md_algorithm: str
    to_sign: bytes  # digest of the signed attributes: what the remote service signs

    def dump(self, *, submitted_at: datetime, signature: bytes | None = None) -> bytes:
        """The request's `remote_state`: UTF-8 JSON, binary values in base64."""
        state = {
            "version": STATE_VERSION,
            "md_algorithm": self.md_algorithm,
            "document_digest": _b64(self.document_digest),
            "reserved_region": list(self.reserved_region),
            "signed_attrs": _b64(self.signed_attrs),
            "to_sign": _b64(self.to_sign),
            "submitted_at": submitted_at.isoformat(),
            "signature": _b64(signature) if signature else None,
            "pdf": _b64(self.pdf),
        }
        return json.dumps(state).encode()


@dataclass(frozen=True)
class RemoteState:
    prepared: RemotePrepared
    submitted_at: datetime
    signature: bytes | None

    @classmethod
    def load(cls, data: bytes) -> "RemoteState":
        state = json.loads(bytes(data))
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unknown remote signing state version {state.get('version')!r}")
        start, end = state["reserved_region"]
        prepared = RemotePrepared(
            pdf=base64.b64decode(state["pdf"]), document_digest=base64.b64decode(state["document_digest"]),
            reserved_region=(int(start), int(end)), signed_attrs=base64.b64decode(state["signed_attrs"]),
            md_algorithm=state["md_algorithm"], to_sign=base64.b64decode(state["to_sign"]),
        )
        signature = base64.b64decode(state["signature"]) if state.get("signature") else None
        return cls(prepared=prepared, submitted_at=datetime.fromisoformat(state["submitted_at"]), signature=signature)

    def dump(self) -> bytes:
        return self.prepared.dump(submitted_at=self.submitted_at, signature=self.signature)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _external_signer(*, cert_der: bytes, chain_der: list[bytes], signature: bytes | None = None):
    from asn1crypto import x509
    from pyhanko.sign.signers import ExternalSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signing_cert = x509.Certificate.load(cert_der)
    chain = [x509.Certificate.load(der) for der in chain_der]
    # Before the signer approves, a zero placeholder of the key's size stands in for the value: the
    # container's room is reserved up front (BYTES_RESERVED), so it only has to look like a signature.
    value = signature if signature is not None else bytes((signing_cert.public_key.bit_size + 7) // 8)
    return ExternalSigner(signing_cert=signing_cert, cert_registry=SimpleCertificateStore.from_certs([signing_cert, *chain]),
                          signature_value=value), chain


def remote_prepare(*, pdf: bytes, cert_der: bytes, chain_der: list[bytes], field_name: str, level: str, trust_roots,
                   stamp: StampSpec | None, key_usage: set[str], signer_name: str = "", reason: str = "",
                   location: str = "") -> RemotePrepared:
    """Prepare the existing field `field_name` for a signature whose value will come from elsewhere.

    For B-LT and above the signer's certificate is validated (chain and revocation) now, as local
    signing does before signing: if that data cannot be had, the signer is not asked to approve a
    signature that could not reach its level.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    long_term = PadesLevel(level) in (PadesLevel.B_LT, PadesLevel.B_LTA)

    async def prepare() -> RemotePrepared:
        signer, chain = _external_signer(cert_der=cert_der, chain_der=chain_der)
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm=MD_ALGORITHM, subfilter=fields.SigSeedSubFilter.PADES,
            # Validation data is embedded after the signature (remote_finish); here it is only checked.
            embed_validation_info=long_term,
            validation_context=validation_context(trust_roots=trust_roots, other_certs=chain) if long_term else None,
            signer_key_usage=key_usage, name=signer_name or None, reason=reason or None, location=location or None,
        )
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=_stamp_style(stamp) if stamp else None)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        prepared, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
            writer, existing_fields_only=True, bytes_reserved=BYTES_RESERVED)
        signed_attrs = await signer.signed_attrs(prepared.document_digest, MD_ALGORITHM, use_pades=True)
        der = signed_attrs.dump()
        return RemotePrepared(
            pdf=output.getvalue(), document_digest=prepared.document_digest,
            reserved_region=(prepared.reserved_region_start, prepared.reserved_region_end),
            signed_attrs=der, md_algorithm=MD_ALGORITHM, to_sign=_digest(der, MD_ALGORITHM),
        )

    return _run(prepare())


def _digest(data: bytes, md_algorithm: str) -> bytes:
    import hashlib

    return hashlib.new(md_algorithm, data).digest()


def remote_signature_check(*, cert_der: bytes, signed_attrs: bytes, signature: bytes, md_algorithm: str) -> None:
    """Refuse a signature value that the certificate's key did not make over these signed attributes.

    The service is trusted to ask the right person, not to return the right bytes: a wrong value would
    otherwise be embedded and the request marked signed with a signature no validator accepts.
    """
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    public_key = x509.load_der_x509_certificate(cert_der).public_key()
    hash_algorithm = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}[md_algorithm]()
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, signed_attrs, padding.PKCS1v15(), hash_algorithm)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, signed_attrs, ec.ECDSA(hash_algorithm))
        else:
            raise InvalidSignature
    except InvalidSignature as exc:
        raise ApplicationError("remote_signature_invalid", _(
            "Chữ ký do dịch vụ ký số từ xa trả về không khớp với chứng thư số của người ký.")) from exc


def remote_finish(*, prepared: RemotePrepared, signature: bytes, cert_der: bytes, chain_der: list[bytes], field_name: str,
                  level: str, trust_roots, tsa_url: str = "") -> tuple[bytes, str]:
    """Embed the approved signature and raise it to `level`; return the signed PDF and the level aimed at.

    As local signing: B-T and above need `tsa_url`, without it the result is B-B; unreachable TSA or
    OCSP/CRL services raise SigningUnavailable (retry) rather than giving a weaker signature.
    """
    from asn1crypto import cms
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import timestamps
    from pyhanko.sign.signers import PdfTimeStamper
    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
    from pyhanko.sign.validation.dss import async_add_validation_info

    remote_signature_check(cert_der=cert_der, signed_attrs=prepared.signed_attrs, signature=signature,
                           md_algorithm=prepared.md_algorithm)
    wanted = PadesLevel(level) if tsa_url else PadesLevel.B_B
    long_term = wanted in (PadesLevel.B_LT, PadesLevel.B_LTA)

    async def finish() -> bytes:
        signer, chain = _external_signer(cert_der=cert_der, chain_der=chain_der, signature=signature)
        timestamper = timestamps.HTTPTimeStamper(tsa_url, timeout=10) if wanted != PadesLevel.B_B else None
        signature_cms = await signer.async_sign_prescribed_attributes(
            prepared.md_algorithm, signed_attrs=cms.CMSAttributes.load(prepared.signed_attrs), timestamper=timestamper)
        output = io.BytesIO(prepared.pdf)
        start, end = prepared.reserved_region
        await PdfTBSDocument.async_finish_signing(
            output, PreparedByteRangeDigest(prepared.document_digest, start, end), signature_cms)
        if not long_term:
            return output.getvalue()
        context = validation_context(trust_roots=trust_roots, other_certs=chain)
        reader = PdfFileReader(output, strict=False)
        embedded = next(s for s in reader.embedded_regular_signatures if s.field_name == field_name)
        # The chain and the OCSP responses/CRLs of the signer and of the signature timestamp's TSA.
        with_dss = await async_add_validation_info(embedded, context, output=io.BytesIO(), force_write=True)
        if wanted == PadesLevel.B_LTA:
            writer = IncrementalPdfFileWriter(with_dss, strict=False)
            await PdfTimeStamper(timestamper).async_timestamp_pdf(writer, prepared.md_algorithm, context, in_place=True)
        return with_dss.getvalue()

    return _run(finish()), wanted.value


def _run(coroutine):
    """Run one phase in its own event loop (tasks are sync code); sort its failures as local signing does."""
    from pyhanko.sign.general import SigningError
    from pyhanko_certvalidator.errors import PathBuildingError, ValidationError

    try:
        return asyncio.run(coroutine)
    except ApplicationError:
        raise
    except Exception as exc:
        if _is_unreachable(exc):  # TSA, OCSP or CRL out of reach: retry later
            raise SigningUnavailable(str(exc)) from exc
        if isinstance(exc, (ValidationError, PathBuildingError)):  # revoked, untrusted: a reason for the signer
            raise SigningError(str(exc)) from exc
        raise
