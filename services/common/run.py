"""Start one service: `python -m services.common.run <service>` (what the Procfile and the
containers run). Filters eventlet's deprecation warning, then hands over to `nameko run`."""
import sys


from . import config

SERVICE_CLASSES = {
    "accounts": "AccountsService",
    "baskets": "BasketsService",
    "grouped_orders": "GroupedOrdersService",
    "payments": "PaymentsService",
    "notifications": "NotificationsService",
    "librisoft_bridge": "LibrisoftBridgeService",
}


def main(argv):
    if len(argv) != 1 or argv[0] not in SERVICE_CLASSES:
        print(f"usage: python -m services.common.run {{{','.join(SERVICE_CLASSES)}}}")
        return 2
    service = argv[0]
    from nameko.cli.main import main as nameko_main

    sys.argv = ["nameko", "run", "--config", str(config.ROOT / "nameko.yml"),
                f"services.{service}.service:{SERVICE_CLASSES[service]}"]
    return nameko_main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
