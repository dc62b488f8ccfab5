"""aiorg: a sourced knowledge base of the AI industry's people, firms and deals."""

__version__ = "0.1.0"
