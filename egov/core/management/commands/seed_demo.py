import os

from django.core.management.base import BaseCommand

from egov.core.demo import DEMO_STEPS, seed_demo


class Command(BaseCommand):
    help = "Load demo data (idempotent): a real province, its agencies and a user for every role."

    def add_arguments(self, parser):
        parser.add_argument("--province", type=int, default=20, help="GSO code of the province (default 20, Lạng Sơn)")
        parser.add_argument("--exchange-suffix", default=None, help="last group of the agency code, e.g. H41")

    def handle(self, *args, province, exchange_suffix, **options):
        result = seed_demo(province_code=province, exchange_suffix=exchange_suffix,
                           password=os.environ.get("DEMO_PASSWORD") or None)
        self.stdout.write(self.style.SUCCESS(
            f"Dữ liệu mẫu: {result.province.name} ({result.agencies_created} cơ quan mới)."))
        self.stdout.write(f"Tài khoản dùng thử (mật khẩu chung: {result.password}):")
        for user in result.users:
            login = user.national_id or user.username
            roles = ", ".join(sorted(user.role_names()))
            where = user.agency.name if user.agency else "—"
            self.stdout.write(f"  {login:<22} {roles:<18} {where}")
        self.stdout.write("Lãnh đạo, văn thư, quản trị: lần đăng nhập đầu tiên quét mã QR để bật xác thực hai lớp.")
        for step in DEMO_STEPS:
            step(result=result, stdout=self.stdout.write)
