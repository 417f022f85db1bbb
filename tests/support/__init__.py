"""What tests and benchmarks share: local fakes of the platforms' APIs (served on 127.0.0.1), the chat
driver, settings, databases, servers and harnesses. Tests and benches import only this package
from tests/; a test module never imports another test module or a benchmark."""
