using System.Diagnostics;
using System.Text.RegularExpressions;
using Keyward.Ovh.Api;
using Keyward.Ovh.Grading;
using Keyward.Ovh.Profiles;
using Keyward.Ovh.Rules;

// Per-operation cost of the hot paths of keyward ovh: matching a call against a rule set (the glob matcher against
// the regex translation research/apis.md suggests), grading a rule set, and computing a request signature.
var values = new Dictionary<string, string?> { ["serviceName"] = "0123456789abcdef0123456789abcdef", ["kubeId"] = "9260267d-2bf9-4d9a-bb6e-24b8969f65e2" };
var rules = BuiltInProfiles.Karpenter.Instantiate(values, ["node-deletion"], requireAll: true);
var calls = BuiltInProfiles.Karpenter.ConcreteCalls(values, ["node-deletion"]).Select(c => (c.Method, c.Path))
    .Append(("GET", "/cloud/project/0123456789abcdef0123456789abcdef/instance"))
    .Append(("DELETE", "/cloud/project/0123456789abcdef0123456789abcdef/kube/other/nodepool/x")).ToArray();
var regexes = rules.Select(r => (r.Method, Regex: new Regex("^" + Regex.Escape(r.Path).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.Compiled | RegexOptions.CultureInvariant))).ToArray();

// Both must agree before their speed means anything.
foreach (var (method, path) in calls)
{
    var p = path.Split('?')[0];
    if (rules.Any(r => r.Allows(method, path)) != regexes.Any(r => r.Method == method && r.Regex.IsMatch(p)))
        throw new InvalidOperationException($"glob and regex disagree on {method} {path}");
}

Measure("allow check, glob (9 rules, per call)", calls.Length, () =>
{
    int n = 0;
    foreach (var (method, path) in calls)
        n += rules.Any(r => r.Allows(method, path)) ? 1 : 0;
    return n;
});
Measure("allow check, compiled regex (9 rules, per call)", calls.Length, () =>
{
    int n = 0;
    foreach (var (method, path) in calls)
    {
        var p = path.Split('?')[0];
        n += regexes.Any(r => r.Method == method && r.Regex.IsMatch(p)) ? 1 : 0;
    }
    return n;
});
Measure("grade a 9-rule set", 1, () => (int)RuleGrader.GradeSet(rules).Level);
Measure("signature ($1$ SHA-1, 60-byte body)", 1, () =>
    OvhSignature.Compute("9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk", "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY", "PUT",
        "https://eu.api.ovh.com/1.0/cloud/project/0123456789abcdef0123456789abcdef/kube/9260267d/nodepool/np1",
        "{\"desiredNodes\":3,\"minNodes\":1,\"maxNodes\":10,\"autoscale\":true}", 1457018875).Length);

static void Measure(string name, int opsPerRun, Func<int> run)
{
    for (int i = 0; i < 20_000; i++)
        run();
    var samples = new List<double>();
    for (int round = 0; round < 7; round++)
    {
        int iterations = 200_000 / opsPerRun;
        var watch = Stopwatch.StartNew();
        int sink = 0;
        for (int i = 0; i < iterations; i++)
            sink += run();
        watch.Stop();
        GC.KeepAlive(sink);
        samples.Add(watch.Elapsed.TotalNanoseconds / (iterations * (double)opsPerRun));
    }
    samples.Sort();
    Console.WriteLine($"{name,-52} median {samples[3],8:0.0} ns/op  (min {samples[0]:0.0}, max {samples[^1]:0.0}, 7 rounds)");
}
