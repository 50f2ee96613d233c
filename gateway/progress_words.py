"""A grouped order's progress in words (issue 10), the same on the public page, in the JSON its
script polls and in the API: paid copies (and those to be paid at pickup) toward the minimum,
each title toward its own, the copies left under the cap. Plain functions of the progress
that grouped_orders answers: no Flask, no RPC (imported by views and API alike)."""


def progress_text(progress, status="open") -> dict:
    """The public page's progress in words (issue 10), the same with and without the script:
    paid copies toward the minimum ("7 / 10 exemplaires"), the copies left under the cap.
    `status`: the grouped order's; once subscriptions are closed the texts say what the
    minimums gave (no « il en faut encore », no copies « disponibles »)."""
    if not progress:
        return {}
    is_open = status == "open"
    paid, minimum, left = progress["paid"], progress["minimum"], progress["left"]
    # issue 10 K5: the copies to be paid at pickup count toward the minimum too
    at_pickup = progress.get("at_pickup") or 0
    paid += at_pickup
    what = "exemplaires payés ou à payer au retrait" if at_pickup else "exemplaires payés"
    texts = {}
    if minimum is not None and not is_open:
        texts["minimum"] = (f"{paid} / {minimum} {what} : minimum atteint."
                            if progress["minimum_reached"] else
                            f"Minimum de {minimum} {what} non atteint.")
    elif minimum is not None:
        texts["minimum"] = (f"{paid} / {minimum} {what} : minimum atteint, la "
                            "commande sera passée." if progress["minimum_reached"] else
                            f"{paid} / {minimum} {what} : il en faut encore "
                            f"{minimum - paid} pour que la commande soit passée.")
    titles = [dict(t, text=title_progress_text(t, is_open))
              for t in progress.get("titles") or []]
    if titles:
        texts["titles"] = titles
    if left is not None and is_open:
        texts["cap"] = (_full_text(left) if progress["full"] else
                        f"Il reste {left} exemplaire{'s' if left > 1 else ''} disponible"
                        f"{'s' if left > 1 else ''}.")
    return texts


def _full_text(left) -> str:
    if not left:
        return "Complet : le nombre maximum d'exemplaires est atteint."
    copies = "qu'un exemplaire" if left == 1 else f"que {left} exemplaires"
    return (f"Complet : il ne reste {copies}, moins qu'une commande (un exemplaire de chaque "
            "titre obligatoire).")


def title_progress_text(t, is_open=True) -> str:
    """A title's progress toward its own minimum (issue 10), in words; once closed, what its
    minimum gave (an optional title under it was taken out of the grouped order)."""
    if t["minimum_reached"]:
        return f"{t['label']} : minimum du titre atteint."
    if not is_open:
        return (f"« {t['title']} » : minimum de {t['minimum']} non atteint"
                + ("." if t["required"] else ", titre retiré de la commande."))
    missing = t["minimum"] - t["paid"]
    return (f"{t['label']} : il en faut encore {missing}"
            + (" pour que la commande soit passée." if t["required"] else
               " (titre facultatif : sinon il est retiré de la commande)."))
