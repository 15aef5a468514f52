from polybius.cli import app

app(prog_name="polybius")
