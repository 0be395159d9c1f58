"""The shared-vision report: aggregate (numbers) first, render (HTML, PDF, CSV, XLSX, JSON) second."""
