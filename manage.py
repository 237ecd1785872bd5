#!/usr/bin/env python
from duban.cli import main

if __name__ == "__main__":
    main()
