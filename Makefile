# Shortcuts for the README's two commands (the scripts do the work, so a
# machine without make can run them directly).
.PHONY: demo test screenshot

demo:
	scripts/demo.sh

test:
	scripts/test.sh

screenshot:
	mkdir -p out && scripts/setup.sh && cargo build --locked -p watchfloor --bin watchfloor \
	  && target/debug/watchfloor --demo --screenshot out/console.png
