from django.db import migrations

# SAMR's national list of minor violations not punished (国市监法〔2025〕10号), as seed data a
# district keeps current through the admin. Every entry rests on 《中华人民共和国行政处罚法》
# 第三十三条第一款 (初次违法且危害后果轻微并及时改正的，可以不予行政处罚；违法行为轻微并及时改正，
# 没有造成危害后果的，不予行政处罚) plus the law the behaviour breaks.
DOCUMENT = "国市监法〔2025〕10号"
BASIS = "《中华人民共和国行政处罚法》第三十三条第一款"
ENTRIES = [
    # (kind, behaviour, law, conditions, rectification days)
    ("first", "未在经营场所醒目位置悬挂营业执照", "《市场主体登记管理条例》第三十六条、第五十条",
     "首次被发现，在责令期限内改正", 7),
    ("first", "登记事项变更后未在规定期限内申请变更登记，未造成危害后果",
     "《市场主体登记管理条例》第二十四条、第四十六条", "首次被发现，在责令期限内办理变更登记", 30),
    ("first", "广告中使用“国家级”“最高级”“最佳”等用语，发布范围小、持续时间短",
     "《中华人民共和国广告法》第九条第三项、第五十七条", "首次违法，危害后果轻微，及时停止发布并改正", 7),
    ("minor", "商品或者服务未按规定明码标价，未造成价格欺诈后果",
     "《中华人民共和国价格法》第十三条；《明码标价和禁止价格欺诈规定》", "违法行为轻微，及时改正，没有造成危害后果", 7),
    ("minor", "使用的计量器具未按规定申请周期检定，计量数据未失准",
     "《中华人民共和国计量法》第九条", "违法行为轻微，及时送检，计量器具检定合格", 15),
    ("first", "食品经营者未在经营场所显著位置悬挂或者摆放食品经营许可证",
     "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》", "首次被发现，当场或者在责令期限内改正", 3),
    ("minor", "产品标识中生产日期、厂址等标注不规范，不影响产品安全和消费者选择",
     "《中华人民共和国产品质量法》第二十七条", "违法行为轻微，及时改正，没有造成危害后果", 15),
    ("first", "未按规定公示年度报告，在责令期限内补报",
     "《企业信息公示暂行条例》第八条、第十七条", "首次未按期公示，在责令期限内补报并公示", 30),
    ("minor", "网络经营者未在首页显著位置持续公示营业执照信息",
     "《中华人民共和国电子商务法》第十五条、第七十六条", "违法行为轻微，及时改正，没有造成危害后果", 7),
    ("first", "特种设备使用单位未将使用登记标志置于设备显著位置",
     "《中华人民共和国特种设备安全法》第三十三条、第八十四条", "首次被发现，设备经检验合格，在责令期限内改正", 7),
    ("minor", "化妆品经营者未按规定建立并执行进货查验记录制度，产品来源可追溯",
     "《化妆品监督管理条例》第三十八条、第六十二条", "违法行为轻微，及时补建记录，没有造成危害后果", 15),
    ("first", "药品零售企业未按规定在营业场所公示执业药师注册证",
     "《药品经营和使用质量监督管理办法》", "首次被发现，执业药师在岗，在责令期限内改正", 3),
]  # fmt: skip


def seed(apps, schema_editor):
    ToleranceList = apps.get_model("checks", "ToleranceList")
    ToleranceEntry = apps.get_model("checks", "ToleranceEntry")
    national, _ = ToleranceList.objects.get_or_create(
        document=DOCUMENT,
        department=None,
        defaults={"name": "市场监管领域轻微违法行为不予处罚清单（全国）"},
    )
    for number, (kind, behaviour, law, conditions, days) in enumerate(ENTRIES, start=1):
        ToleranceEntry.objects.get_or_create(
            tolerance_list=national,
            number=number,
            defaults={
                "kind": kind,
                "behaviour": behaviour,
                "legal_basis": f"{law}；{BASIS}",
                "conditions": conditions,
                "rectification_days": days,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("checks", "0002_tolerance_lists")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
