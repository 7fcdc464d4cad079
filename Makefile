# Shortcuts for developers who have make; every target runs the same step as `bash tasks.sh …`.
.PHONY: build test check serve golden
build test check serve golden:
	bash tasks.sh $@
