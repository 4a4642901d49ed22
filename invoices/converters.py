"""URL converters."""


class UpstreamIdConverter:
    """An InvoiceXpress record id: digits that fit a signed 64-bit integer.

    `<int:...>` takes any number of digits, and a 25-digit id then overflows the audit
    log's BigIntegerField (a 500). Eighteen digits always fit; longer is simply a 404.
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))
