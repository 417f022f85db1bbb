"""Local fakes of the platforms' APIs, served on 127.0.0.1 for integration tests and benchmarks."""
