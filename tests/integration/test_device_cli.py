"""``repairshop device show`` and ``job claim|claim-part`` as another tool calls them."""

from __future__ import annotations

import json

from tests.helpers import intake_document
from tests.integration.test_cli import Shop, shop

__all__ = ["shop"]


def test_a_device_history_and_a_manufacturer_claim_on_the_command_line(shop: Shop) -> None:
    document = json.dumps(intake_document(fault="Battery swells"))
    first = shop.run("intake", "-", stdin=document).stdout.strip()
    second = shop.run("intake", "-", stdin=document).stdout.strip()
    assert (first, second) == ("R000001", "R000002")
    assert shop.run("parts", "add", "BAT-S23", "--name", "Galaxy S23 battery").returncode == 0
    assert shop.run("job", "claim", second, "--number", "SAM-77").returncode == 0
    claimed = shop.json(
        "job",
        "claim-part",
        second,
        "BAT-S23",
        "--old-serial",
        "B-OLD",
        "--new-serial",
        "B-NEW",
        "--return",
    )
    assert claimed["manufacturer_claim"] == {
        "number": "SAM-77",
        "parts": [
            {
                "sku": "BAT-S23",
                "name": "Galaxy S23 battery",
                "old_serial": "B-OLD",
                "new_serial": "B-NEW",
                "return": True,
            }
        ],
        "to_return": ["B-OLD"],
    }
    assert shop.json("job", "show", first)["manufacturer_claim"] is None
    text = shop.run("job", "show", second).stdout
    assert "Manufacturer claim: SAM-77" in text
    assert "B-OLD → B-NEW" in text

    history = shop.json("device", "show", "R5CW12ABCDE")
    assert [job["code"] for job in history["jobs"]] == [first, second]
    assert history["jobs"][1]["manufacturer_claim"]["number"] == "SAM-77"
    assert shop.json("device", "show", "353326111702413") == history
    text = shop.run("device", "show", "R5CW12ABCDE").stdout
    assert "Samsung Galaxy S23" in text
    assert "Battery swells" in text

    missing = shop.run("device", "show", "NOPE")
    assert missing.returncode == 1
    assert "no device with serial number or IMEI “NOPE”" in missing.stderr
    refused = shop.run(
        "job", "claim-part", first, "BAT-S23", "--old-serial", "A", "--new-serial", "B"
    )
    assert refused.returncode == 1
    assert "record its claim number first" in refused.stderr
