"""TanyaSehat: the health office's chatbot for residents, cadres and staff."""

__version__ = "0.1.0"
