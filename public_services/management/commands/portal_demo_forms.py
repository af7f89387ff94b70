from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Give the demo's curated procedures their online forms (idempotent; run after seed_demo). "
            "See public_services/demo_forms.py.")

    def handle(self, *args, **options):
        from public_services.demo import demo_forms_seed

        demo_forms_seed(stdout=self.stdout.write)
