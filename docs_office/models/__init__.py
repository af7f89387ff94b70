from docs_office.models.attachments import IncomingAttachment, OutgoingAttachment
from docs_office.models.catalogue import Division, DocumentType, Register, RegisterCounter
from docs_office.models.changes import IncomingChange
from docs_office.models.incoming import IncomingAssignment, IncomingDocument, IncomingEvent, IncomingOpinion, IncomingReader
from docs_office.models.outgoing import Delivery, OutgoingDocument, OutgoingEvent, OutgoingVersion
from docs_office.models.tasks import Task, TaskReport

__all__ = [
    "Division", "DocumentType", "Register", "RegisterCounter",
    "IncomingAssignment", "IncomingAttachment", "IncomingChange", "IncomingDocument", "IncomingEvent", "IncomingOpinion",
    "IncomingReader",
    "Delivery", "OutgoingAttachment", "OutgoingDocument", "OutgoingEvent", "OutgoingVersion",
    "Task", "TaskReport",
]
