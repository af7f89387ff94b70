# A refund owed says why: a duplicate payment (every one before this migration) or a fee that changed meanwhile.

import django_fsm
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0002_payment_refund_due'),
    ]

    operations = [
        migrations.AddField(
            model_name='payment',
            name='refund_reason',
            field=models.CharField(blank=True, choices=[('duplicate', 'Phí, lệ phí đã được thanh toán trong giao dịch khác'), ('fee_changed', 'Số tiền phải nộp của hồ sơ đã thay đổi')], max_length=20, verbose_name='lý do hoàn tiền'),
        ),
        migrations.AlterField(
            model_name='payment',
            name='state',
            field=django_fsm.FSMField(choices=[('pending', 'Đang chờ thanh toán'), ('paid', 'Đã thanh toán'), ('failed', 'Không thành công'), ('expired', 'Hết thời gian thanh toán'), ('refund_due', 'Chờ hoàn tiền')], db_index=True, default='pending', max_length=50, protected=True, verbose_name='trạng thái'),
        ),
        # Every refund owed so far was a second attempt paid after the first.
        migrations.RunSQL("UPDATE payments_payment SET refund_reason = 'duplicate' WHERE state = 'refund_due'",
                          migrations.RunSQL.noop),
    ]
