# Shortcuts for developers who have make; every target runs the same step as `bash tasks.sh …`.
.PHONY: build test check serve golden screenshots
build test check serve golden screenshots:
	bash tasks.sh $@
