"""TIC Desktop — offline expert review for Tianjin technology innovation centers (天津市技术创新中心)."""

__version__ = "0.1.0"
