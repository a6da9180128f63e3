"""The complaint protocol (reklamační protokol, protokół reklamacyjny) the customer keeps.

On receipt it confirms the day the complaint was made, what is claimed, the remedy the
customer asks for, how the shop reaches them with the answer and the deadline for it; once
decided, it also states the day and the decision: how the complaint was settled and how
long that took, or why it was rejected. That is what the Czech consumer protection act
(§19) and the Polish consumer rights act (art. 7a) ask the seller to hand over. It is
printed in the customer's language, with the fonts embedded.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Spacer,
)

from repairshop.domain.complaints import OUTCOME_LABELS, REMEDY_LABELS, ComplaintOutcome
from repairshop.domain.contacts import format_phone
from repairshop.domain.warranty import REGIME_LABELS
from repairshop.errors import ValidationError
from repairshop.i18n import N_, _, format_day, normalise_language, translator
from repairshop.printing.barcodes import fit_barcode
from repairshop.printing.fonts import register_fonts
from repairshop.printing.options import DEFAULT_DPI
from repairshop.printing.receipts import SHEET_MARGIN, BarcodeFlowable, _Receipt, page_pdf
from repairshop.services.jobs.views import ComplaintView, JobView
from repairshop.services.shop.settings import ShopSettings


class _Protocol(_Receipt):
    """The receipt's layout (shop, customer, device) with the complaint's own sections."""

    def __init__(
        self, job: JobView, complaint: ComplaintView, shop: ShopSettings, language: str
    ) -> None:
        super().__init__(job, shop, language, A4[0] - 2 * SHEET_MARGIN, narrow=False)
        self.complaint = complaint

    def day(self, day: date) -> str:
        return format_day(day, self.language)

    def days(self, count: int, working: bool) -> str:
        if working:
            return (
                translator(self.language)
                .ngettext("{count} working day", "{count} working days", count)
                .format(count=count)
            )
        return (
            translator(self.language)
            .ngettext("{count} day", "{count} days", count)
            .format(count=count)
        )

    def code_block(self, dpi: int) -> list[Flowable]:
        job, t = self.job, self.t
        barcode = fit_barcode(job.code, self.width * 0.45, dpi)
        return [
            self.para(t(N_("Complaint protocol")), self.styles.title),
            self.para(job.code, self.styles.code),
            BarcodeFlowable(barcode, 12 * mm, "RIGHT"),
            Spacer(1, 2 * mm),
        ]

    def claim(self) -> list[tuple[str, str]]:
        complaint, t = self.complaint, self.t
        pairs = [
            (t(N_("Complaint received on")), self.day(complaint.received)),
            (t(N_("Received by")), self.job.created_by_name),
            (
                t(N_("About job")),
                t(N_("{code}, handed back on {date}")).format(
                    code=complaint.of, date=self.day(complaint.of_collected.date())
                ),
            ),
            (
                t(N_("Remedy asked for")),
                t(REMEDY_LABELS[complaint.remedy]) if complaint.remedy else t(N_("not stated")),
            ),
        ]
        warranty = self.job.warranty
        if warranty is not None:
            cover = t(REGIME_LABELS[warranty.regime])
            if warranty.until is not None:
                cover = t(N_("{regime} until {date}")).format(
                    regime=cover, date=self.day(warranty.until)
                )
            pairs.append((t(N_("Covered by")), cover))
        return pairs

    def deadline_pairs(self) -> list[tuple[str, str]]:
        complaint, t = self.complaint, self.t
        pairs: list[tuple[str, str]] = []
        if complaint.reply_by is not None:
            pairs.append(
                (t(N_("We tell you whether we accept it by")), self.day(complaint.reply_by))
            )
        pairs.append(
            (
                t(N_("We settle the complaint by")),
                t(N_("{date} ({period} from receipt)")).format(
                    date=self.day(complaint.decide_by),
                    period=self.days(complaint.deadline_days, complaint.working_days),
                ),
            )
        )
        customer = self.job.customer
        contact = ", ".join(part for part in (format_phone(customer.phone), customer.email) if part)
        pairs.append((t(N_("We send the answer to")), contact))
        return pairs

    def deadline(self, label_width: float) -> list[Flowable]:
        complaint, t = self.complaint, self.t
        pairs = self.deadline_pairs()
        story = self.section(t(N_("Deadline")), pairs, self.width, label_width)
        if complaint.accepted_if_unanswered and complaint.decided is None:
            story.append(
                self.para(
                    t(
                        N_(
                            "If we do not answer by {date}, the law counts the complaint as "
                            "accepted."
                        )
                    ).format(date=self.day(complaint.decide_by)),
                    self.styles.small,
                )
            )
        return story

    def decision_pairs(self) -> list[tuple[str, str]]:
        complaint, t = self.complaint, self.t
        decided = complaint.decided
        if decided is None:
            return []
        took = complaint.took_days or 0
        pairs = [
            (t(N_("Decided on")), self.day(decided.on)),
            (t(N_("Decision")), t(OUTCOME_LABELS[decided.outcome])),
        ]
        if decided.outcome is ComplaintOutcome.ACCEPTED and decided.remedy is not None:
            pairs.append((t(N_("Settled by")), t(REMEDY_LABELS[decided.remedy])))
            why = t(N_("Notes"))
        else:
            why = t(N_("Reason for rejection"))
        pairs.append((t(N_("Time taken")), self.days(took, working=False)))
        pairs.append((why, decided.reason))
        pairs.append((t(N_("Decided by")), decided.by_name))
        return pairs

    def decision(self, label_width: float) -> list[Flowable]:
        t, heading = self.t, self.t(N_("Decision"))
        pairs = self.decision_pairs()
        if not pairs:
            return [
                self.para(heading, self.styles.heading),
                self.para(
                    t(N_("Not decided yet: we will decide by {date} and let you know.")).format(
                        date=self.day(self.complaint.first_due)
                    )
                ),
            ]
        return self.section(heading, pairs, self.width, label_width)

    def story(self, clerk_name: str, logo: bytes | None, dpi: int) -> list[Flowable]:
        t = self.t
        customer, device = self.customer_facts(), self.device_facts()
        claim = self.claim()
        width = self.label_width(
            claim, customer, device, self.deadline_pairs(), self.decision_pairs()
        )
        return [
            *self.header(logo, dpi),
            *self.section(t(N_("Complaint")), claim, self.width, width),
            self.para(t(N_("What is claimed")), self.styles.heading),
            self.para(self.job.fault),
            *self.section(t(N_("Customer")), customer, self.width, width),
            *self.section(t(N_("Device")), device, self.width, width),
            *self.deadline(width),
            *self.decision(width),
            self.signatures(clerk_name),
        ]

    def agreement(self) -> str:
        return self.t(
            N_("The customer made the complaint as described above; the shop confirms it.")
        )

    def drawn_signature(self) -> None:
        return None


def complaint_protocol_pdf(
    job: JobView,
    shop: ShopSettings,
    *,
    language: str | None = None,
    logo: bytes | None = None,
    dpi: int = DEFAULT_DPI,
) -> bytes:
    """The complaint protocol of complaint job ``job`` as A4 PDF bytes, in ``language``
    (the customer's by default)."""
    complaint = job.complaint
    if complaint is None:
        raise ValidationError(
            _("Job {code} is not a complaint about another job.").format(code=job.code)
        )
    register_fonts()
    language = normalise_language(language or job.customer.language)
    protocol = _Protocol(job, complaint, shop, language)
    story = protocol.story(job.created_by_name, logo, dpi)
    return page_pdf(
        story,
        A4,
        SHEET_MARGIN,
        template="protocol",
        title=protocol.t(N_("Complaint protocol {code}")).format(code=job.code),
        shop=shop,
        language=language,
    )
