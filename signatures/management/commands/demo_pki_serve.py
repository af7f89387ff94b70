from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Serve the demo PKI built in a directory (CRLs, OCSP, time stamps, CA certificates) "
        "in the foreground on the port of its base URL, until interrupted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            dest="directory",
            type=Path,
            default=None,
            help="directory of the demo PKI (default: <BASE_DIR>/.data/pki)",
        )

    def handle(self, *args, directory: Path | None, **options):
        from signatures.demo_pki.builder import demo_pki_load
        from signatures.demo_pki.server import PkiServer

        directory = directory or Path(settings.EGOV_DEMO_PKI_DIR)
        try:
            pki = demo_pki_load(directory)
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(f"Không nạp được PKI thử nghiệm: {error}")

        address = urlsplit(pki.base_url)
        if address.scheme != "http" or address.hostname is None or address.port is None:
            raise CommandError(f"Địa chỉ gốc {pki.base_url} phải có dạng http://máy:cổng")
        server = PkiServer(pki, address.port, host=address.hostname)
        self.stdout.write(
            f"PKI thử nghiệm tại {pki.base_url} (thư mục {directory}):\n"
            f"  OCSP: {pki.ocsp_url}\n"
            f"  CRL:  {pki.crl_url}\n"
            f"  TSA:  {pki.tsa_url}\n"
            "Nhấn Ctrl+C để dừng."
        )
        try:
            server.serve_forever()
        except OSError as error:
            raise CommandError(f"Không mở được cổng {address.port}: {error}")
        self.stdout.write("Đã dừng PKI thử nghiệm.")
