namespace Keyward.Sops.Tests;

/// <summary>Plaintext documents covering the value kinds and layouts sops files hold.</summary>
public static class CorpusFiles
{
    public const string NestedYaml = """
        # head comment of the file
        app:
          # database settings
          db:
            user: admin # the login
            password: "p@ss: word #1"
            port: 5432
          ünïcödé_kéy: 值
          "quoted key": 'single quoted'
        empty_string: ""
        nothing: null
        tilde: ~
        bare:
        empty_map: {}
        empty_list: []
        # closing comment
        """;

    public const string ListsYaml = """
        servers:
          - name: a
            # comment inside a list item map
            ip: 10.0.0.1
          - name: b
            ip: 10.0.0.2
        tags:
          # a comment in a list
          - one
          - two # inline in a list
          - - nested
            - list
        matrix: [1, 2, 3]
        """;

    public const string ScalarsYaml = """
        int: 42
        negative: -17
        hex: 0x1F
        octal: 0o17
        big_int: 9223372036854775807
        float: 3.14
        exp: 1.5e10
        tiny: 1.0e-7
        integral_float: 100000.0
        bool_true: true
        bool_false: False
        date: 2024-01-01
        timestamp: 2006-01-02T15:04:05+07:06
        utc_time: 2025-01-02T03:04:05.123456789Z
        quoted_number: "1234"
        quoted_bool: 'true'
        literal: |
          line one
          line two
        literal_strip: |-
          no final newline
        folded: >
          folded text
          continues
        keep: |+
          kept

        multi_line_quoted: "a\nb\tc"
        emoji: "🔐 secret"
        colon_value: "a: b"
        hash_value: "a #b"
        leading_space: "  padded"
        """;

    public const string MultiDocYaml = """
        ---
        first: 1
        # comment in the first document
        ---
        second: two
        list:
          - x
        ---
        third: {a: b}
        """;

    public const string KubernetesSecret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: prod
          labels:
            app: db
        type: Opaque
        stringData:
          password: hunter2
          url: postgres://u:p@db/prod
        data:
          token: aHVudGVyMg==
        """;

    public const string RulesYaml = """
        kind: Secret
        name: plain-or-not
        # sops:enc
        marked: value under an encrypt marker
        # sops:plain
        unmarked: value under a plaintext marker
        stringData:
          password: hunter2
          note_secret: suffix
        data:
          - item
        """;

    public const string Json = """
        {
        	"firstName": "John",
        	"age": 25.4,
        	"count": 7,
        	"big": 123456789012345678901234567890,
        	"ok": true,
        	"none": null,
        	"empty": "",
        	"html": "<a href=\"x\">&</a>",
        	"unicode": "ünïcödé ✓",
        	"nested": {
        		"list": [1, "two", {"three": 3.0}],
        		"emptyObj": {},
        		"emptyArr": []
        	}
        }

        """;

    public const string Dotenv = "# comment line\nKEY=value\nSPACED = padded \nEMPTY=\nMULTI=line1\\nline2\nEQUALS=a=b=c\nQUOTED=\"kept quotes\"\n";

    public const string Ini = "; top comment\nglobal = outside any section\n\n[database]\n# db comment\nuser = admin\npassword = s3cr3t\nport = 5432\n\n[section with space]\nkey = value with spaces\nsecret_unencrypted = visible\n";

    public const string Binary = "line one\nbinary-ish \u0001\u0002 content\n\u00e9t\u00e9\n";
}
