from django.core.management.base import BaseCommand

from signatures.demo import demo_signing_seed


class Command(BaseCommand):
    help = ("Build the demo PKI (root, intermediate, signer certificates, CRL, OCSP, TSA), trust its root and "
            "import certificates for the demo leaders and their agencies. Run seed_demo first.")

    def handle(self, *args, **options):
        demo_signing_seed(stdout=self.stdout.write)
