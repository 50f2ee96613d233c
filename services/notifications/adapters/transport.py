"""Where mails go: files under var/mail/ by default (viewable on the admin's dev page), or an
SMTP server when SMTP_HOST is set.

Each mail's `Message-ID` is derived from the event that caused it and its recipient, never
random: if a mail has to be sent again because the process died between the SMTP send and its
commit, the repeat carries the same Message-ID, so mail clients and the relay recognise it."""
import hashlib
import re
import smtplib
from email.header import Header
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from services.common import config


def mail_from():
    return config.env("MAIL_FROM", "Librairie <ne-pas-repondre@librairie.test>")


def message_id(mail_id, to_addr, event_id=None) -> str:
    """`<event id.recipient hash@sender's domain>`: the same for every attempt at one mail."""
    domain = parseaddr(mail_from())[1].rpartition("@")[2] or "librairie.test"
    recipient = hashlib.sha256(to_addr.strip().lower().encode()).hexdigest()[:12]
    key = f"{event_id}.{recipient}" if event_id else f"mail{int(mail_id)}.{recipient}"
    return f"<{key}@{domain}>"


def build_message(mail_id, to_addr, subject, body, event_id=None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = mail_from()
    msg["To"] = to_addr
    # the sender does not read replies: a reply reaches the bookshop's contact address
    shop = config.bookshop()
    msg["Reply-To"] = config.env("MAIL_REPLY_TO", f"{shop['name']} <{shop['email']}>")
    set_subject(msg, subject)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = message_id(mail_id, to_addr, event_id)
    msg.set_content(body)
    return msg


def set_subject(msg: EmailMessage, subject: str):
    """The subject, encoded so that every mail client reads it back as written.

    Python's own folding (3.11) of a long subject with accents loses or doubles a space where it
    folds next to an encoded word (« groupéeréférence », « devis  n° 1 »). A subject with
    accents is therefore encoded here by `email.header.Header`, whose encoded words (each within
    the 75 characters of RFC 2047, on lines of 78 at most) decode to the very text, and stored
    as it is; an ASCII subject needs no encoded word and is folded as usual. A line break typed
    in a name (a school's, a basket's) cannot make another header: it becomes a space."""
    subject = re.sub(r"[\r\n]+", " ", subject)
    if subject.isascii():
        msg["Subject"] = subject
    else:
        msg.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode(maxlinelen=75))


class FileTransport:
    def __init__(self, directory=None):
        self.directory = directory or (config.var_dir() / "mail")
        self.directory.mkdir(parents=True, exist_ok=True)

    def already_sent(self, mail_id, msg: EmailMessage) -> bool:
        """Whether an earlier attempt got through (the file is there with this Message-ID)."""
        path = self.directory / f"{mail_id:08d}.eml"
        return path.exists() and msg["Message-ID"].encode() in path.read_bytes()

    def send(self, mail_id, msg: EmailMessage):
        path = self.directory / f"{mail_id:08d}.eml"
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(msg))
        tmp.replace(path)

    def __repr__(self):
        return f"FileTransport({self.directory})"


class SmtpTransport:
    def __init__(self, host, port, user=None, password=None, starttls=False, timeout=10):
        self.host, self.port, self.user, self.password = host, int(port), user, password
        self.starttls, self.timeout = starttls, timeout

    def already_sent(self, mail_id, msg: EmailMessage) -> bool:
        """SMTP cannot tell: an interrupted send is sent again, with the same Message-ID."""
        return False

    def send(self, mail_id, msg: EmailMessage):
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(msg)

    def __repr__(self):
        return f"SmtpTransport({self.host}:{self.port})"


def from_environment():
    host = config.env("SMTP_HOST")
    if not host:
        return FileTransport()
    return SmtpTransport(host, config.env("SMTP_PORT", "25"), config.env("SMTP_USER"),
                         config.env("SMTP_PASSWORD"), config.env("SMTP_STARTTLS") == "1")


def is_permanent(exc) -> bool:
    """A refusal that no retry will change: the message cannot be built (a CR/LF in an
    address), or the SMTP server answered 5xx for it. Not an authentication failure or a
    4xx / a connection problem (our side or temporary: retried)."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return isinstance(exc, smtplib.SMTPNotSupportedError)
