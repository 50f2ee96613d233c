"""Issue 8 §6: an expected refusal printed a full traceback in `make run`'s output, and the
first start printed amqp's « Received method (60, 80) during closing channel »."""
import io
import logging

from services.common import wire  # noqa: F401  (installs the filters)
from services.common.errors import DomainError


def captured(logger_name, emit):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_refused_request_is_one_line_and_a_crash_keeps_its_traceback():
    def refused(log):  # as nameko.containers logs an expected exception
        try:
            raise DomainError("unauthorized", "Adresse e-mail ou mot de passe incorrect.")
        except DomainError as exc:
            log.warning("(expected) error handling worker %s: %s",
                        "<WorkerContext [accounts.authenticate]>", exc, exc_info=True)

    out = captured("nameko.containers", refused)
    assert out.count("\n") == 1 and "Traceback" not in out
    assert "refused <WorkerContext [accounts.authenticate]>" in out

    def crashed(log):
        try:
            raise KeyError("boom")
        except KeyError as exc:
            log.exception("error handling worker %s: %s", "<WorkerContext [x.y]>", exc)

    assert "Traceback" in captured("nameko.containers", crashed)


def test_the_closing_channel_noise_is_dropped():
    out = captured("amqp", lambda log: log.warning(
        "Received method %s during closing channel %s. This method will be ignored",
        (60, 80), 1))
    assert out == ""
    assert "other" in captured("amqp", lambda log: log.warning("other"))
