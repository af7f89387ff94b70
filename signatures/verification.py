"""Verify the signatures of any PDF: integrity, changes after signing, trust, revocation, long-term validity.

Everything a person needs to judge a signed document is collected into plain dataclasses, with a
Vietnamese sentence per signature and for the whole document, so pages, the API and tests read the
same report. `pdf_verify` never raises on bad input: a file that is not a readable PDF is reported
as `unreadable`.

Trust comes only from the portal's active trust anchors. Revocation is checked online (OCSP/CRL
named by certificates that chain to an anchor) in soft-fail mode, so an unreachable responder does
not fail a signature; intermediate certificates are never fetched from the URLs a certificate names
(AIA caIssuers), because the uploaded file, and therefore those URLs, comes from anyone.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

if TYPE_CHECKING:
    from asn1crypto import x509

logger = logging.getLogger(__name__)

# Vietnamese organisation certificates carry digitalSignature only, personal ones usually both.
ACCEPTED_KEY_USAGES = frozenset({"digital_signature", "non_repudiation"})
# The long-term check simulates a validation this long after the signer's certificate expires:
# the moment a signature without its own validation material can no longer be checked.
LONG_TERM_MARGIN = timedelta(days=1)
# UID prefixes of a person's national identity number (CCCD, the older CMND, passport): personal data
# that public pages mask; an organisation's tax code (MST) is public.
PERSONAL_ID_RE = re.compile(r"\b(?P<prefix>CCCD|CMND|CMT|HC|PASSPORT)\s*:\s*(?P<number>[0-9A-Za-z]{5,})", re.IGNORECASE)
SIGNED_COPY_CACHE_SECONDS = 300
# Each signature costs a few hundred milliseconds and some OCSP/CRL requests; an administrative
# document has a handful. A file with more is refused rather than tying a public worker up.
MAX_SIGNATURES = 30


class Verdict(models.TextChoices):
    VALID = "valid", gettext_lazy("Hợp lệ")
    MODIFIED = "modified", gettext_lazy("Đã bị thay đổi sau khi ký")
    UNTRUSTED = "untrusted", gettext_lazy("Chứng thư số không được tin cậy")
    REVOKED = "revoked", gettext_lazy("Chứng thư số đã bị thu hồi")
    NO_SIGNATURES = "no_signatures", gettext_lazy("Không có chữ ký số")
    UNREADABLE = "unreadable", gettext_lazy("Không đọc được tệp")


class SignatureKind(models.TextChoices):
    SIGNATURE = "signature", gettext_lazy("Chữ ký số")
    TIMESTAMP = "timestamp", gettext_lazy("Dấu thời gian tài liệu")


# X.509 key usages (RFC 5280 §4.2.1.3) as the verification page names them.
KEY_USAGE_LABELS = {
    "digital_signature": pgettext_lazy("key usage", "ký số"),
    "non_repudiation": gettext_lazy("chống chối bỏ"),
    "key_encipherment": gettext_lazy("mã hóa khóa"),
    "data_encipherment": gettext_lazy("mã hóa dữ liệu"),
    "key_agreement": gettext_lazy("thỏa thuận khóa"),
    "key_cert_sign": gettext_lazy("ký chứng thư số"),
    "crl_sign": gettext_lazy("ký danh sách thu hồi"),
    "encipher_only": gettext_lazy("chỉ mã hóa"),
    "decipher_only": gettext_lazy("chỉ giải mã"),
}


class ModificationLevel(models.TextChoices):
    """pyHanko's difference analysis of what was added after a signature, least to most intrusive."""

    NONE = "none", gettext_lazy("Không có thay đổi")
    LTA_UPDATES = "lta_updates", gettext_lazy("Chỉ bổ sung dữ liệu kiểm tra dài hạn (dấu thời gian, thông tin thu hồi)")
    FORM_FILLING = "form_filling", gettext_lazy("Chỉ điền biểu mẫu, thêm chữ ký khác")
    ANNOTATIONS = "annotations", gettext_lazy("Thêm ghi chú (annotation)")
    OTHER = "other", gettext_lazy("Thay đổi khác, không được phép")
    UNKNOWN = "unknown", gettext_lazy("Không xác định được")


class Coverage(models.TextChoices):
    ENTIRE_FILE = "entire_file", gettext_lazy("Toàn bộ tệp")
    ENTIRE_REVISION = "entire_revision", gettext_lazy("Toàn bộ phiên bản được ký; có phiên bản bổ sung sau đó")
    PARTIAL = "partial", gettext_lazy("Chỉ một phần tệp")
    UNCLEAR = "unclear", gettext_lazy("Không rõ ràng")


@dataclass
class SignatureReport:
    field_name: str
    kind: str  # SignatureKind
    signer_name: str = ""  # the certificate's common name
    signer_subject: str = ""
    organisation: str = ""  # the O attribute
    position: str = ""  # the title attribute, when the CA puts one
    identifiers: list[str] = field(default_factory=list)  # UID values, e.g. "CCCD:0200…", "MST:4900…"
    issuer: str = ""
    certificate_serial: str = ""
    certificate_not_before: datetime | None = None
    certificate_not_after: datetime | None = None
    key_usage: list[str] = field(default_factory=list)
    key_usage_ok: bool = False
    chain: list[str] = field(default_factory=list)  # subjects from the signer's certificate up
    chain_trusted: bool = False  # the chain ends at one of the portal's trust anchors
    trust_anchor: str = ""
    signing_time: datetime | None = None  # claimed by the signer: not proof
    timestamp_time: datetime | None = None  # from a time-stamping authority
    timestamp_trusted: bool | None = None  # None: no timestamp token
    intact: bool = False  # the signed bytes are unchanged and the signature value is right
    coverage: str = Coverage.UNCLEAR
    covers_entire_file: bool = False
    later_revisions: bool = False
    modification_level: str = ModificationLevel.UNKNOWN
    modifications_allowed: bool = False
    changed_form_fields: list[str] = field(default_factory=list)
    # Form fields other than signatures changed after the last signature (_fields_filled_after_signing).
    unsigned_fields: list[str] = field(default_factory=list)
    revoked: bool = False
    revocation_date: datetime | None = None
    trusted: bool = False
    trust_problem: str = ""  # pyHanko's AdES sub-indication when the certificate was not accepted
    long_term_ok: bool | None = None  # None: not applicable (document timestamps)
    long_term_reason: str = ""
    verdict: str = Verdict.UNREADABLE
    message: str = ""
    error: str = ""  # why this signature could not be evaluated at all, when it could not

    @property
    def is_timestamp(self) -> bool:
        return self.kind == SignatureKind.TIMESTAMP

    # For public pages: a person's ID number (in the UID, hence also in the subject and chain)
    # shows only its last four digits.
    @property
    def display_identifiers(self) -> list[str]:
        return [_mask_personal_ids(value) for value in self.identifiers]

    @property
    def display_subject(self) -> str:
        return _mask_personal_ids(self.signer_subject)

    @property
    def display_chain(self) -> list[str]:
        return [_mask_personal_ids(subject) for subject in self.chain]

    @property
    def key_usage_labels(self) -> list[str]:
        """The certificate's key usages as a reader names them (X.509's identifiers showed raw: found by
        exploratory testing)."""
        return [str(KEY_USAGE_LABELS.get(usage, usage)) for usage in self.key_usage]

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def modification_label(self) -> str:
        return str(ModificationLevel(self.modification_level).label)

    @property
    def coverage_label(self) -> str:
        return str(Coverage(self.coverage).label)


@dataclass
class VerificationReport:
    verdict: str
    message: str
    sha256: str = ""
    size: int = 0
    verified_at: datetime = field(default_factory=timezone.now)
    signatures: list[SignatureReport] = field(default_factory=list)
    error: str = ""  # technical reason for `unreadable`, for logs and support

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def signature_count(self) -> int:
        return sum(1 for s in self.signatures if not s.is_timestamp)

    @property
    def timestamp_count(self) -> int:
        return sum(1 for s in self.signatures if s.is_timestamp)

    @property
    def is_valid(self) -> bool:
        return self.verdict == Verdict.VALID


def pdf_verify(pdf: bytes) -> VerificationReport:
    """Verify every signature and document timestamp in `pdf` against the active trust anchors."""
    from signatures.services.certificates import trust_roots

    digest = hashlib.sha256(pdf or b"").hexdigest()
    size = len(pdf or b"")
    try:
        reader = _reader(pdf)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # any parser error: the file is not something we can read
        logger.info("unreadable PDF %s: %s", digest[:16], exc)
        return VerificationReport(verdict=Verdict.UNREADABLE, message=_unreadable_message(), sha256=digest, size=size,
                                  error=f"{type(exc).__name__}: {exc}"[:500])
    if not embedded:
        return VerificationReport(verdict=Verdict.NO_SIGNATURES,
                                  message=_("Tệp PDF không có chữ ký số nào: không có gì để xác thực."),
                                  sha256=digest, size=size)
    if len(embedded) > MAX_SIGNATURES:
        return VerificationReport(verdict=Verdict.UNREADABLE, sha256=digest, size=size,
                                  error=f"{len(embedded)} signatures, more than {MAX_SIGNATURES}",
                                  message=_("Tệp có quá nhiều chữ ký (%(count)s, tối đa %(max)s) để xác thực trực tuyến.")
                                  % {"count": len(embedded), "max": MAX_SIGNATURES})
    roots = trust_roots()
    import asyncio

    # One event loop for all signatures; the views calling this are synchronous.
    signatures = asyncio.run(_verify_all(embedded, roots))
    _fields_filled_after_signing(reader, embedded, signatures)
    verdict = _overall_verdict(signatures)
    return VerificationReport(verdict=verdict, message=_overall_message(verdict, signatures), sha256=digest, size=size,
                              signatures=signatures)


def signed_copy_verify(*, sha256: str) -> VerificationReport | None:
    """Verify the stored signed copy of the signature request whose result has this SHA-256; None if unknown.

    This is where the QR code printed on a signed result leads. The report is cached briefly: the
    page is public and a verification costs about half a second of CPU plus OCSP requests.
    """
    from django.core.cache import cache
    from django.utils.translation import get_language

    from signatures.constants import SignatureState
    from signatures.models import SignatureRequest

    sha256 = sha256.lower()
    key = f"signatures:verify:{sha256}:{get_language()}"
    report = cache.get(key)
    if report is not None:
        return report
    request = (SignatureRequest.objects.filter(signed_sha256=sha256, state=SignatureState.SIGNED)
               .exclude(signed_pdf="").first())
    if request is None:
        return None
    try:
        with request.signed_pdf.open("rb") as handle:
            data = handle.read()
    except OSError:
        logger.exception("signed copy of signature request %s cannot be read from storage", request.pk)
        return VerificationReport(verdict=Verdict.UNREADABLE, sha256=sha256, error="stored copy unreadable",
                                  message=_("Không đọc được bản lưu trên hệ thống của văn bản này. "
                                            "Vui lòng liên hệ cơ quan ban hành."))
    if hashlib.sha256(data).hexdigest() != sha256:
        # The stored file is not the one recorded when it was signed: storage was tampered with.
        logger.error("signed copy of signature request %s does not match its recorded SHA-256", request.pk)
        report = VerificationReport(verdict=Verdict.MODIFIED, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                                    message=_("Bản lưu trên hệ thống không khớp với mã băm ghi lại khi ký: "
                                              "tệp đã bị thay đổi sau khi ký."))
    else:
        report = pdf_verify(data)
    cache.set(key, report, SIGNED_COPY_CACHE_SECONDS)
    return report


def _mask_personal_ids(text: str) -> str:
    return PERSONAL_ID_RE.sub(lambda m: f"{m['prefix']}:{'•' * (len(m['number']) - 4)}{m['number'][-4:]}", text)


def _reader(pdf: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    # ISO 32000 lets the header start anywhere in the first kilobyte.
    if not pdf or b"%PDF-" not in pdf[:1024]:
        raise ValueError("no PDF header")
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    if reader.encrypted:
        raise ValueError("encrypted PDF")
    return reader


async def _verify_all(embedded, roots) -> list[SignatureReport]:
    reports = []
    for embedded_sig in embedded:
        try:
            report = await _verify_one(embedded_sig, roots)
        except Exception as exc:  # a malformed signature dictionary, a CMS blob we cannot parse
            logger.info("signature %s could not be evaluated", getattr(embedded_sig, "field_name", "?"), exc_info=True)
            report = _broken_signature_report(embedded_sig, exc)
        reports.append(report)
    return reports


def _validation_context(roots):
    from signatures.pades import validation_context

    # The certificates of the file come from whoever uploaded it: the chain must be in the file (it
    # is, in every PAdES signature this portal makes) or among the trust anchors, never downloaded.
    return validation_context(trust_roots=roots, allow_fetching=True, hard_fail=False, fetch_certificates=False)


def _key_usage_settings():
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    return KeyUsageConstraints(key_usage=set(ACCEPTED_KEY_USAGES), match_all_key_usages=False)


async def _verify_one(embedded_sig, roots) -> SignatureReport:
    from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp

    is_timestamp = embedded_sig.sig_object_type == "/DocTimeStamp"
    report = SignatureReport(field_name=str(embedded_sig.field_name or ""),
                             kind=SignatureKind.TIMESTAMP if is_timestamp else SignatureKind.SIGNATURE)
    if is_timestamp:
        status = await async_validate_pdf_timestamp(embedded_sig, validation_context=_validation_context(roots))
        report.timestamp_time = status.timestamp
    else:
        status = await async_validate_pdf_signature(embedded_sig, signer_validation_context=_validation_context(roots),
                                                    key_usage_settings=_key_usage_settings())
        report.signing_time = status.signer_reported_dt
        if status.timestamp_validity is not None:
            report.timestamp_time = status.timestamp_validity.timestamp
            report.timestamp_trusted = bool(status.timestamp_validity.trusted)
    _describe_certificate(report, status.signing_cert, embedded_sig)
    report.intact = bool(status.intact and status.valid)
    _describe_modifications(report, status)
    report.revoked = bool(status.revoked)
    if status.revocation_details is not None:
        report.revocation_date = status.revocation_details.revocation_date
    if status.validation_path is not None:
        path = list(status.validation_path)
        report.chain = [name_text(cert.subject) for cert in reversed(path)]
        report.chain_trusted = True
        report.trust_anchor = name_text(path[0].subject)
    report.trusted = bool(status.trusted)
    report.trust_problem = status.trust_problem_indic.name if status.trust_problem_indic is not None else ""
    if is_timestamp:
        report.long_term_reason = _("Không áp dụng cho dấu thời gian tài liệu.")
    else:
        report.long_term_ok, indication = await _long_term_check(embedded_sig, roots)
        report.long_term_reason = _long_term_reason(report, report.long_term_ok, indication)
    report.verdict = _signature_verdict(report)
    report.message = _signature_message(report)
    return report


def _describe_certificate(report: SignatureReport, cert: x509.Certificate, embedded_sig) -> None:
    subject = cert.subject.native
    report.signer_name = _text(subject.get("common_name")) or name_text(cert.subject)
    report.signer_subject = name_text(cert.subject)
    report.organisation = _text(subject.get("organization_name"))
    report.position = _text(subject.get("title"))
    report.identifiers = _values(subject.get("user_id"))
    report.issuer = name_text(cert.issuer)
    report.certificate_serial = format(cert.serial_number, "X")
    report.certificate_not_before = cert.not_valid_before
    report.certificate_not_after = cert.not_valid_after
    key_usage = cert.key_usage_value
    report.key_usage = sorted(key_usage.native) if key_usage is not None else []
    report.key_usage_ok = bool(ACCEPTED_KEY_USAGES & set(report.key_usage)) if not report.is_timestamp else True
    # Without a trusted path, show what the file itself claims, so people see who issued it.
    report.chain = _claimed_chain(cert, embedded_sig)


# The attributes of a certificate's subject or issuer as people read them here (asn1crypto's human_friendly writes
# "Common Name: …, Organization: …" in English).
_NAME_LABELS = {
    "common_name": gettext_lazy("Tên"), "title": gettext_lazy("Chức danh"), "organization_name": gettext_lazy("Tổ chức"),
    "organizational_unit_name": gettext_lazy("Đơn vị"), "locality_name": gettext_lazy("Địa phương"),
    "state_or_province_name": gettext_lazy("Tỉnh, thành phố"), "country_name": gettext_lazy("Quốc gia"),
    "user_id": gettext_lazy("Mã định danh"), "email_address": gettext_lazy("Thư điện tử"),
    "serial_number": gettext_lazy("Số hiệu"), "given_name": gettext_lazy("Tên riêng"), "surname": gettext_lazy("Họ"),
}


def name_text(name) -> str:
    """A certificate's subject or issuer (an asn1crypto Name), attribute by attribute with their labels, "; "
    between them (a value may hold commas)."""
    parts = []
    for key, value in name.native.items():
        parts.append(f"{_NAME_LABELS.get(key, key)}: {_text(value)}")
    return "; ".join(parts)


def _text(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value) if value else ""


def _values(value) -> list[str]:
    if not value:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _claimed_chain(cert, embedded_sig) -> list[str]:
    """Follow issuer names through the certificates embedded in the signature, leaf first."""
    try:
        candidates = list(embedded_sig.other_embedded_certs)
    except Exception:
        candidates = []
    by_subject = {c.subject.dump(): c for c in candidates}
    chain, current, seen = [name_text(cert.subject)], cert, {cert.subject.dump()}
    while current.issuer.dump() not in seen and current.issuer.dump() in by_subject:
        current = by_subject[current.issuer.dump()]
        seen.add(current.subject.dump())
        chain.append(name_text(current.subject))
    if current.issuer.dump() not in seen:
        chain.append(name_text(current.issuer))
    return chain


def _describe_modifications(report: SignatureReport, status) -> None:
    from pyhanko.sign.diff_analysis import DiffResult
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    coverage = status.coverage
    report.coverage = {
        SignatureCoverageLevel.ENTIRE_FILE: Coverage.ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION: Coverage.ENTIRE_REVISION,
        SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: Coverage.PARTIAL,
    }.get(coverage, Coverage.UNCLEAR)
    report.covers_entire_file = coverage == SignatureCoverageLevel.ENTIRE_FILE
    report.later_revisions = coverage == SignatureCoverageLevel.ENTIRE_REVISION
    level = status.modification_level
    report.modification_level = level.name.lower() if level is not None else ModificationLevel.UNKNOWN
    if isinstance(status.diff_result, DiffResult):
        report.changed_form_fields = sorted(str(name) for name in status.diff_result.changed_form_fields)
    if report.covers_entire_file:
        report.modifications_allowed = True
    elif report.later_revisions:
        # DocMDP: a certifying signature may allow less than the default (form filling and below);
        # docmdp_ok is None for document timestamps, where only the level counts.
        report.modifications_allowed = (report.modification_level not in (ModificationLevel.OTHER, ModificationLevel.UNKNOWN)
                                        and status.docmdp_ok is not False)
    else:  # a byte range that does not cover its own revision is a classic way to hide content
        report.modifications_allowed = False


async def _long_term_check(embedded_sig, roots) -> tuple[bool, str]:
    """Can the signature still be validated once the signer's certificate has expired, from what the file holds?

    pyHanko simulates a future PAdES-LTA validation with fetching disabled, granting proof of
    existence today to everything in the file (as a maintained archive timestamp chain would).
    Returns whether it passes and pyHanko's AdES indication (or the error that stopped it).
    """
    from pyhanko.sign.validation import ades
    from pyhanko.sign.validation.policy_decl import (
        PdfSignatureValidationSpec,
        RevinfoOnlineFetchingRule,
        RevocationInfoGatheringSpec,
        SignatureValidationSpec,
    )
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
    from pyhanko_certvalidator.registry import SimpleTrustManager

    try:
        spec = PdfSignatureValidationSpec(SignatureValidationSpec(
            cert_validation_policy=CertValidationPolicySpec(trust_manager=SimpleTrustManager.build(trust_roots=list(roots)),
                                                            revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO)),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY),
            key_usage_settings=_key_usage_settings(),
        ))
        future = max(embedded_sig.signer_cert.not_valid_after, timezone.now()) + LONG_TERM_MARGIN
        result = await ades.simulate_future_ades_lta_validation(embedded_sig, spec, future_validation_time=future)
    except Exception as exc:  # experimental pyHanko API: report, never fail the verification
        logger.info("long-term check of %s failed", embedded_sig.field_name, exc_info=True)
        return False, type(exc).__name__
    indication = result.ades_subindic.name
    return indication == "OK" and result.api_status is not None and result.api_status.bottom_line, indication


def _long_term_reason(report: SignatureReport, ok: bool, indication: str) -> str:
    if ok:
        return _("Tài liệu mang đủ dấu thời gian, chuỗi chứng thư và thông tin thu hồi để kiểm tra lâu dài.")
    if not report.intact or not report.modifications_allowed:
        return _("Chữ ký đã mất giá trị nên không thể kiểm tra lâu dài.")
    if not report.chain_trusted:
        return _("Chứng thư số không do tổ chức được tin cậy cấp nên không kiểm tra lâu dài được.")
    if report.timestamp_time is None:
        return _("Chữ ký không có dấu thời gian: sau khi chứng thư số hết hạn sẽ không kiểm tra được.")
    return _("Tài liệu thiếu dữ liệu để kiểm tra lâu dài (chuỗi chứng thư hoặc thông tin thu hồi) — %(indication)s.") % {
        "indication": indication}


def _broken_signature_report(embedded_sig, exc: Exception) -> SignatureReport:
    kind = SignatureKind.TIMESTAMP if getattr(embedded_sig, "sig_object_type", "") == "/DocTimeStamp" else SignatureKind.SIGNATURE
    report = SignatureReport(field_name=str(getattr(embedded_sig, "field_name", "") or ""), kind=kind,
                             error=f"{type(exc).__name__}: {exc}"[:500])
    try:
        _describe_certificate(report, embedded_sig.signer_cert, embedded_sig)
    except Exception:  # the certificate itself is unreadable: the report says so through `error`
        logger.debug("no readable signer certificate in %s", report.field_name)
    report.verdict = Verdict.MODIFIED
    report.message = _("Không kiểm tra được chữ ký “%(field)s”: dữ liệu chữ ký bị hỏng hoặc không đúng chuẩn, "
                       "chữ ký không có giá trị.") % {"field": report.signer_name or report.field_name}
    return report


def _fields_filled_after_signing(reader, embedded, signatures: list[SignatureReport]) -> None:
    """A form field other than a signature, filled or changed after the last signature, is a change no one signed.

    pyHanko allows form filling after an approval signature that locks nothing (the PDF default), and reports it only
    as a level: an issued document's number and date (text fields filled by the records clerk between the leader's
    signature and the agency's) could then be rewritten after the agency's seal, by anyone, and still read "valid".
    A field changed between two signatures is covered by the later one; after the last, by none: its report (and so
    the verdict) turns MODIFIED, naming the fields. Document timestamps sign nothing a reader sees, so "last" is the
    last regular signature."""
    from pyhanko.sign.fields import enumerate_sig_fields

    regular = [(sig, report) for sig, report in zip(embedded, signatures, strict=True)
               if not report.is_timestamp and report.intact and report.modifications_allowed]
    if not regular:
        return
    _sig, last = max(regular, key=lambda pair: pair[0].signed_revision)
    try:
        signature_fields = {str(name) for name, _value, _ref in enumerate_sig_fields(reader)}
    except Exception:  # a malformed form: no field can be told apart from a signature, so none is excused
        signature_fields = set()
    # Below form filling nothing was filled: pyHanko may still name a field an LTA update's revision touched (the
    # agency's B-LTA seal lists the number it covers, at "lta_updates").
    filled = last.modification_level in (ModificationLevel.FORM_FILLING, ModificationLevel.ANNOTATIONS)
    unsigned = [name for name in last.changed_form_fields if name not in signature_fields] if filled else []
    if unsigned:
        last.modifications_allowed = False
        last.unsigned_fields = unsigned
        last.verdict = _signature_verdict(last)
        last.message = _signature_message(last)


def _signature_verdict(report: SignatureReport) -> str:
    if not report.intact or not report.modifications_allowed:
        return Verdict.MODIFIED
    if report.revoked:
        return Verdict.REVOKED
    if not report.trusted or report.timestamp_trusted is False:
        return Verdict.UNTRUSTED
    return Verdict.VALID


def _signature_message(report: SignatureReport) -> str:
    name = report.signer_name or report.field_name
    if report.is_timestamp:
        return _timestamp_message(report, name)
    params = {"name": name}
    if not report.intact:
        return _("Chữ ký của %(name)s không còn giá trị: nội dung đã bị thay đổi sau khi ký.") % params
    if report.unsigned_fields:
        return _("Chữ ký của %(name)s không còn giá trị: nội dung ô %(fields)s đã bị điền hoặc sửa sau chữ ký cuối cùng, "
                 "không ai ký xác nhận.") % {"name": name, "fields": ", ".join(f"“{f}”" for f in report.unsigned_fields)}
    if not report.modifications_allowed:
        return _("Chữ ký của %(name)s không còn giá trị: tài liệu đã bị sửa đổi sau khi ký "
                 "bằng những thay đổi không được phép.") % params
    if report.revoked:
        if report.revocation_date:
            return _("Chứng thư số của %(name)s đã bị thu hồi từ %(date)s: chữ ký không được công nhận.") % {
                "name": name, "date": timezone.localtime(report.revocation_date).strftime("%H:%M %d/%m/%Y")}
        return _("Chứng thư số của %(name)s đã bị thu hồi: chữ ký không được công nhận.") % params
    if not report.trusted:
        return _("Chữ ký của %(name)s còn nguyên vẹn nhưng %(reason)s.") % {"name": name, "reason": _trust_reason(report)}
    if report.timestamp_trusted is False:
        return _("Chữ ký của %(name)s còn nguyên vẹn nhưng dấu thời gian kèm theo không được xác thực.") % params
    return _("Chữ ký của %(name)s hợp lệ: nội dung được ký còn nguyên vẹn, chứng thư số do tổ chức được tin cậy cấp.") % params


def _trust_reason(report: SignatureReport) -> str:
    problem = report.trust_problem
    if not report.key_usage_ok:
        return _("chứng thư số không có mục đích ký số")
    if problem == "NO_CERTIFICATE_CHAIN_FOUND" or not report.chain_trusted and not problem:
        return _("chứng thư số không do tổ chức được tin cậy cấp")
    if problem == "OUT_OF_BOUNDS_NO_POE":
        return _("chứng thư số đã hết hạn hoặc chưa có hiệu lực, và không có dấu thời gian chứng minh thời điểm ký")
    if problem == "TRY_LATER":
        return _("chưa lấy được thông tin thu hồi mới nhất của chứng thư số, vui lòng kiểm tra lại sau")
    if problem in ("CRYPTO_CONSTRAINTS_FAILURE", "CRYPTO_CONSTRAINTS_FAILURE_NO_POE"):
        return _("chữ ký dùng thuật toán mật mã không còn an toàn")
    return _("không xác thực được chứng thư số (%(problem)s)") % {"problem": problem or "?"}


def _timestamp_message(report: SignatureReport, name: str) -> str:
    params = {"name": name}
    if not report.intact or not report.modifications_allowed:
        return _("Dấu thời gian tài liệu của %(name)s không còn giá trị: tài liệu đã bị thay đổi sau đó.") % params
    if report.revoked:
        return _("Chứng thư của đơn vị cấp dấu thời gian %(name)s đã bị thu hồi.") % params
    if not report.trusted:
        return _("Dấu thời gian tài liệu còn nguyên vẹn nhưng đơn vị cấp %(name)s không được tin cậy.") % params
    return _("Dấu thời gian tài liệu do %(name)s cấp hợp lệ.") % params


def _overall_verdict(signatures: list[SignatureReport]) -> str:
    verdicts = {s.verdict for s in signatures}
    for verdict in (Verdict.MODIFIED, Verdict.REVOKED, Verdict.UNTRUSTED):
        if verdict in verdicts:
            return verdict
    return Verdict.VALID


def _names(signatures: list[SignatureReport]) -> tuple[str, int]:
    """The signers' names for a sentence ("A", "A và B", "A, B và C") and how many there are: Vietnamese says one
    signature or several alike, English does not ("the signature of A is" / "the signatures of A and B are")."""
    names = list(dict.fromkeys(s.signer_name or s.field_name for s in signatures))
    if len(names) <= 1:
        return "".join(names), len(names)
    return _("%(names)s và %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}, len(names)


def _overall_message(verdict: str, signatures: list[SignatureReport]) -> str:
    regular = [s for s in signatures if not s.is_timestamp] or signatures
    concerned = [s for s in regular if s.verdict == verdict] or [s for s in signatures if s.verdict == verdict]
    if verdict == Verdict.VALID:
        names, n = _names(regular)
        return ngettext("Tài liệu còn nguyên vẹn từ khi ký; chữ ký của %(names)s hợp lệ, "
                        "chứng thư số do tổ chức được tin cậy cấp.",
                        "Tài liệu còn nguyên vẹn từ khi ký; chữ ký của %(names)s hợp lệ, "
                        "chứng thư số do tổ chức được tin cậy cấp.", n) % {"names": names}
    if verdict == Verdict.MODIFIED and concerned and concerned[0].is_timestamp:
        return _("Tài liệu đã bị thay đổi sau khi ký: dấu thời gian tài liệu không còn giá trị.")
    names, n = _names(concerned)
    if verdict == Verdict.MODIFIED:
        return ngettext("Tài liệu đã bị thay đổi sau khi ký: chữ ký của %(names)s không còn giá trị.",
                        "Tài liệu đã bị thay đổi sau khi ký: chữ ký của %(names)s không còn giá trị.",
                        n) % {"names": names}
    if verdict == Verdict.REVOKED:
        return ngettext("Chứng thư số của %(names)s đã bị thu hồi: chữ ký không được công nhận.",
                        "Chứng thư số của %(names)s đã bị thu hồi: chữ ký không được công nhận.",
                        n) % {"names": names}
    return ngettext("Tài liệu còn nguyên vẹn từ khi ký, nhưng chữ ký của %(names)s chưa được công nhận: "
                    "chứng thư số không do tổ chức được tin cậy cấp hoặc không xác thực được.",
                    "Tài liệu còn nguyên vẹn từ khi ký, nhưng chữ ký của %(names)s chưa được công nhận: "
                    "chứng thư số không do tổ chức được tin cậy cấp hoặc không xác thực được.", n) % {"names": names}


def _unreadable_message() -> str:
    return _("Không đọc được tệp: tệp không phải PDF hoặc đã bị hỏng, nên không xác thực được chữ ký.")
