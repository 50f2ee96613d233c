"""Where mails go: files under var/mail/ by default (viewable on the admin's dev page), or an
SMTP server when SMTP_HOST is set."""
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from services.common import config


def build_message(mail_id, to_addr, subject, body) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = config.env("MAIL_FROM", "Librairie <ne-pas-repondre@librairie.test>")
    msg["To"] = to_addr
    # the sender does not read replies: a reply reaches the bookshop's contact address
    shop = config.bookshop()
    msg["Reply-To"] = config.env("MAIL_REPLY_TO", f"{shop['name']} <{shop['email']}>")
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=f"mail{mail_id}")
    msg.set_content(body)
    return msg


class FileTransport:
    def __init__(self, directory=None):
        self.directory = directory or (config.var_dir() / "mail")
        self.directory.mkdir(parents=True, exist_ok=True)

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
