"""Shaping stored rows into the API's (and the portal's) views of an order."""

from singlewindow.payments.models import Assessment, Payment, PaymentOrder, Receipt
from singlewindow.payments.schemas import AssessmentOut, OrderDetail, OrderOut, PaymentOut, ReceiptOut


def order_detail(
    order: PaymentOrder, assessment: Assessment, payments: list[Payment], receipt: Receipt | None
) -> OrderDetail:
    return OrderDetail(
        **OrderOut.model_validate(order).model_dump(),
        assessment=AssessmentOut.model_validate(assessment),
        payments=[PaymentOut.model_validate(p) for p in payments],
        receipt=ReceiptOut.model_validate(receipt) if receipt else None,
    )
