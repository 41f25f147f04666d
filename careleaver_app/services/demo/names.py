"""Made-up but plausible names: young people's and staff's by culture (some in their own script),
and the towns, streets and places that teams, addresses and providers are named after."""

from __future__ import annotations

from typing import Any

from careleaver_app.services.demo.draws import Pick, blocks, pairs

# Each culture: a header "== language, weight among UASC, weight among others, share with English
# as first language, native-script key or -", then given names (male, female) and surnames (for
# men, then for women when they differ). Weights follow the looked-after population in England
# and, for UASC, the main countries of origin.
_CULTURE_TABLE = """
== English 0 64 1.0 -
Oliver Jack Harry Charlie George Thomas Jacob Kyle Connor Liam Callum Jordan Reece Bradley Tyler
  Lewis Ryan Jake Kieran Declan Rhys Dylan Owen Ethan Mason Logan Alfie Riley Joshua Daniel Samuel
  Nathan Jamie Aaron Luke Scott Dean Shane Seán Ciarán Christopher Alexander
Olivia Amelia Chloe Jessica Emily Megan Holly Leah Shannon Courtney Chelsea Jade Ellie Lauren Zoë
  Chloë Niamh Siân Aoife Siobhán Ffion Caitlin Paige Kayleigh Abbie Mia Ruby Freya Lily Grace
  Bethany Rebecca Sophie Hannah Renée
Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White
  Roberts Green Hall Wood Jackson Clarke Hughes Edwards O'Connor O'Brien Lloyd Price Morgan Murphy
  Kelly Turner Hill Moore Cooper Ward Harris Lewis Baker Carter Parker Bennett Griffiths Doyle
  McCarthy Reilly Rees
== English 0 6 1.0 -
Jermaine Tyrone Marcus Kai Malachi Jaden Andre Leon Dwayne Isaiah Elijah Nathaniel Jahmal
Aaliyah Tia Shanice Keisha Nia Jada Imani Kiara Tanisha Naomi
Campbell Francis Samuels Grant Thomas Baptiste Henry Morris Gordon Reid Bailey
== Yoruba 0 5 0.85 -
Chidi Oluwaseun Kwame Kofi Emeka Tobi Chukwuemeka Femi Yaw Babajide Ikenna Obinna
Adaeze Chiamaka Abena Folake Ngozi Adwoa Temitope Funmilayo Ama Chidinma Efua
Okafor Adeyemi Mensah Boateng Okonkwo Adebayo Asante Eze Nwosu Owusu Ogunleye Appiah
== Somali 3 1.5 0.5 -
Abdirahman Mohamed Abdi Yusuf Abdullahi Mahad Hamza Ismail Liban
Hodan Amina Ayaan Fadumo Hibo Ifrah Sagal Nimco
Abdullahi Hassan Warsame Farah Jama Osman Ali Mohamud Egal Hersi
== Urdu 0 3 0.75 -
Muhammad Ayaan Zain Imran Hamza Bilal Abdul Rayyan Shahid Usman Haris
Aisha Fatima Zara Maryam Nadia Sana Noor Rukhsana Hira Iqra
Khan Hussain Ahmed Iqbal Akhtar Shah Mahmood Butt Qureshi
== Bengali 0 1.5 0.7 -
Rayhan Tanvir Sabbir Ibrahim Mahir Arif Sajid
Nusrat Tahmina Farhana Sadia Jannat Tasnim
Rahman Chowdhury Miah Islam Uddin Hossain Ali
Rahman Chowdhury Begum Islam Khatun Hossain Akter
== Punjabi 0 1.5 0.8 -
Arjun Rohan Rahul Gurpreet Harjeet Kabir Jaspreet Manveer
Priya Ananya Simran Harpreet Anjali Navdeep Kiran
Singh Gill Sandhu Patel Sharma Dhillon Sidhu
Kaur Gill Sandhu Patel Sharma Dhillon Sidhu
== Polish 0 3 0.5 -
Łukasz Jakub Kacper Mateusz Michał Paweł Wojciech Szymon Bartosz Piotr Krzysztof
Zofia Maja Zuzanna Małgorzata Agnieszka Wiktoria Natalia Julia Oliwia Aleksandra Kinga
Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Dąbrowski
  Woźniak Mazur
Nowak Kowalska Wiśniewska Wójcik Kowalczyk Kamińska Lewandowska Zielińska Szymańska Dąbrowska
  Woźniak Mazur
== Romanian 0 2 0.4 -
Andrei Ionuț Ștefan Mihai Alexandru Florin Cristian Răzvan
Ioana Elena Bianca Andreea Mădălina Alexandra Denisa Roxana
Popescu Ionescu Dumitru Stănescu Constantin Popa Stoica Rădulescu Munteanu Lungu
== Slovak 0 1.5 0.4 -
Dominik Tomáš Lukáš Jiří Marek Patrik Matej Roman
Kristýna Nikola Veronika Tereza Monika Simona Lucie
Horváth Baláž Dvořák Novák Kováč Lakatoš Oláh Gábor
Horváthová Balážová Dvořáková Nováková Kováčová Lakatošová Oláhová Gáborová
== Portuguese 0 1 0.5 -
João Tiago Gonçalo Rúben Diogo Rafael André
Inês Beatriz Mariana Leonor Conceição Carolina
Silva Gonçalves Araújo Fernandes Santos Pereira Rodrigues Lourenço
== Spanish 0 1 0.5 -
José Alejandro Iñaki Javier Sergio
María Lucía Sofía Noemí Inés
García Núñez Peña Muñoz Martínez López Sánchez Ibáñez
== Turkish 1 1.5 0.6 -
Emre Mehmet Yiğit Barış Mustafa Can Kaan Hüseyin
Ayşe Elif Gül Zeynep Büşra Derya Şeyma
Yılmaz Demir Şahin Çelik Öztürk Kaya Aydın Doğan Koç Güneş
== Ukrainian 1 1 0.2 uk
Oleksandr Dmytro Andrii Maksym Bohdan Artem Yurii
Olena Mariia Anastasiia Sofiia Daryna Kateryna Iryna
Shevchenko Kovalenko Bondarenko Melnyk Tkachenko Kravchenko Boiko Lysenko
== Cantonese 0 1 0.7 -
Wei Jun Hao Yi Chen Jian Ming
Mei Xin Yan Jing Li Hui
Chen Wang Li Zhang Liu Huang Zhao Wu
== Vietnamese 8 0.5 0.3 -
Minh Đức Huy Tuấn Quang Thắng Long Hoàng Khánh
Linh Thảo Ngọc Hương Trang Hạnh Phương Mai
Nguyễn Trần Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Huỳnh
== Pashto 25 0.5 0.2 fa
Ahmad Mohammad Farid Hamid Jawad Mustafa Najib Sohail Zabihullah Naveed Rahmatullah Idris
Mariam Zahra Fereshta Shabnam Parisa Nargis
Ahmadzai Karimi Hashimi Noori Rahimi Sultani Stanikzai Popal Safi Amiri Wardak
== Tigrinya 15 0.5 0.2 ti
Yonas Daniel Samuel Robel Tesfay Filmon Merhawi Kibrom Habtom Amanuel Tesfalem
Selam Helen Rahel Lidya Senait Saba Feven Winta
Tesfamariam Gebremedhin Haile Berhe Kidane Tekle Ghebreyesus Habte Mehari Woldu
== Amharic 3 0.3 0.3 -
Abel Dawit Yohannes Biniam Tewodros
Meron Hanna Tsion Bethlehem
Tadesse Bekele Alemu Girma Desta Mekonnen
== Arabic 15 1 0.3 ar
Mohammed Ahmed Omar Osman Abdelrahman Musa Adam Ibrahim Yousef Khalid Hassan Ali
Fatima Aya Rania Salma Amna Hiba Nour Maryam Layla
Adam Ibrahim Osman Abdalla Mahmoud Musa Ishag Elnour Hassan Al-Khatib Haddad Saleh
== Kurdish 12 0.5 0.3 fa
Reza Amir Ali Mohammad Rebwar Karzan Hiwa Aram Sina
Zahra Sara Dilan Shilan Roya
Ahmadi Hosseini Mohammadi Rezaei Karimi Rahimi Azizi Qadir
== Albanian 8 1 0.4 -
Ergys Arlind Besnik Klevis Erion Dritan Endrit Ardit Enea
Ermira Arta Elira Anisa Klea Dorina
Hoxha Shehu Krasniqi Gashi Berisha Dervishi Çela Lleshi Prifti Muça
"""

# Names in their own script (male, female, surnames), each with the Latin spelling that is kept as
# the preferred name, so colleagues who cannot read the script can still find the record.
_NATIVE_TABLE = """
== ar
محمد=Mohammed أحمد=Ahmed عمر=Omar علي=Ali يوسف=Yousef خالد=Khalid حسن=Hassan إبراهيم=Ibrahim
  عثمان=Osman موسى=Musa آدم=Adam
فاطمة=Fatima مريم=Maryam نور=Nour آية=Aya سلمى=Salma ليلى=Layla
إبراهيم=Ibrahim عثمان=Osman حسن=Hassan محمود=Mahmoud عبدالله=Abdalla موسى=Musa آدم=Adam
  الخطيب=Al-Khatib حداد=Haddad
== fa
احمد=Ahmad محمد=Mohammad فرید=Farid حمید=Hamid جواد=Jawad نجیب=Najib سهیل=Sohail رضا=Reza
  امیر=Amir
مریم=Mariam زهرا=Zahra فرشته=Fereshta سارا=Sara
کریمی=Karimi هاشمی=Hashimi نوری=Noori رحیمی=Rahimi سلطانی=Sultani احمدی=Ahmadi حسینی=Hosseini
  محمدی=Mohammadi امیری=Amiri
== ti
ዮናስ=Yonas ዳኒኤል=Daniel ሳሙኤል=Samuel ሮቤል=Robel ተስፋይ=Tesfay ፊልሞን=Filmon
ሰላም=Selam ሄለን=Helen ራሄል=Rahel ሳባ=Saba
ሃይለ=Haile በርሀ=Berhe ኪዳነ=Kidane ተኽለ=Tekle ሃብተ=Habte
== uk
Олександр=Oleksandr Дмитро=Dmytro Андрій=Andrii Максим=Maksym Богдан=Bohdan Артем=Artem
Олена=Olena Марія=Mariia Анастасія=Anastasiia Софія=Sofiia Дарина=Daryna
Шевченко=Shevchenko Коваленко=Kovalenko Бондаренко=Bondarenko Мельник=Melnyk Ткаченко=Tkachenko
  Кравченко=Kravchenko Бойко=Boiko
"""
NATIVE_SHARE = 0.25  # of people from a culture with a native-script list

_SHORT_NAMES = """
Oliver=Olly Thomas=Tom Jessica=Jess Alexander=Alex Christopher=Chris Daniel=Dan Samuel=Sam
Rebecca=Becky Joshua=Josh Bethany=Beth Mohammed=Mo Muhammad=Mo Łukasz=Luke Jakub=Kuba
Oluwaseun=Seun Chukwuemeka=Emeka Abdirahman=Abdi Zabihullah=Zabi Rahmatullah=Rahmat
Anastasiia=Nastia Małgorzata=Gosia Aleksandra=Ola Temitope=Tope Funmilayo=Funmi Nathaniel=Nate
"""

# Towns (hyphens stand for spaces) and their postcode areas; postcodes are made up within them.
_TOWN_TABLE = """
Stafford=ST Stoke-on-Trent=ST Tamworth=B Burton-upon-Trent=DE Cannock=WS Lichfield=WS
Wolverhampton=WV Walsall=WS Derby=DE Nottingham=NG Leicester=LE Coventry=CV Birmingham=B
Manchester=M Leeds=LS Sheffield=S Bristol=BS Plymouth=PL Newcastle=NE Sunderland=SR Liverpool=L
Bradford=BD Hull=HU York=YO Middlesbrough=TS Oxford=OX Reading=RG Southampton=SO Portsmouth=PO
Brighton=BN Norwich=NR Ipswich=IP Cambridge=CB Peterborough=PE Lincoln=LN Exeter=EX
Gloucester=GL Preston=PR Blackburn=BB Carlisle=CA Croydon=CR Romford=RM Luton=LU Northampton=NN
Milton-Keynes=MK Swindon=SN Bath=BA Canterbury=CT Chelmsford=CM Colchester=CO
"""
_STREET_TABLE = """
Acacia-Avenue Mill-Lane Station-Road Church-Street Victoria-Road Park-Road Queen-Street
Albert-Terrace Meadow-Close Orchard-Way Elm-Grove Willow-Court Hawthorn-Drive Brook-Street
Kingsway Chapel-Lane Springfield-Road Highfield-Road Oak-Crescent Beech-Walk Cedar-Rise
Foxglove-Way Larch-Close Heather-Bank Rowan-Drive Sycamore-Road Poplar-Grove Linden-Way
"""
_PLACE_TABLE = "Fernlea Holmwood Brackenridge Ashdene Birchfield Oakleigh Thornbury Elmhurst"
QUARTERS = ("North", "South", "East", "West", "Central")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code may use

_NATIVE = {key: [pairs(line) for line in lines] for key, lines in blocks(_NATIVE_TABLE)}


def _cultures() -> list[dict[str, Any]]:
    out = []
    for header, lines in blocks(_CULTURE_TABLE):
        language, uasc_w, other_w, english, script = header.split()
        out.append(
            {
                "uasc_w": float(uasc_w),
                "other_w": float(other_w),
                "language": language,
                "english": float(english),
                "male": lines[0],
                "female": lines[1],
                "last_m": lines[2],
                "last_f": lines[3] if len(lines) > 3 else lines[2],
                "native": _NATIVE[script] if script != "-" else None,
            }
        )
    return out


CULTURES = _cultures()
SHORT_FORMS = dict(pairs(_SHORT_NAMES.split()))
TOWNS = [(town.replace("-", " "), area) for town, area in pairs(_TOWN_TABLE.split())]
STREETS = [s.replace("-", " ") for s in _STREET_TABLE.split()]
PLACES = _PLACE_TABLE.split()
UASC_CULTURE = Pick([(c, c["uasc_w"]) for c in CULTURES])
OTHER_CULTURE = Pick([(c, c["other_w"]) for c in CULTURES])
